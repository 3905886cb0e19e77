/**
 * A modal dialog on the native <dialog> element: the browser traps focus, Escape cancels, and the rest of the
 * window is inert while it is open. The control marked `data-autofocus="true"` gets the focus when it opens.
 */
import { useEffect, useRef, type ReactNode } from 'react';

export interface ModalProps {
  readonly title: string;
  readonly onCancel: () => void;
  readonly children: ReactNode;
  readonly className?: string;
}

export function Modal({ title, onCancel, children, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) {
      dialog.showModal();
      // showModal focuses the first control; a dialog opened for one field (the password) focuses that one.
      dialog.querySelector<HTMLElement>('[data-autofocus="true"]')?.focus();
    }
    return () => {
      dialog?.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={className === undefined ? 'modal' : `modal ${className}`}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 className="modal-title">{title}</h2>
      {children}
    </dialog>
  );
}
