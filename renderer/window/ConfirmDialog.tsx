/** "Are you sure?" for what cannot be undone (Delete Permanently, removing an account, trusting a certificate). */
import type { Confirmation } from '../commands/registry.ts';
import { Modal } from './Modal.tsx';

export interface ConfirmDialogProps {
  readonly question: Confirmation;
  readonly onAnswer: (yes: boolean) => void;
}

export function ConfirmDialog({ question, onAnswer }: ConfirmDialogProps) {
  return (
    <Modal title={question.title} onCancel={() => onAnswer(false)} className="confirm">
      <p className="confirm-body">{question.body}</p>
      <div className="dialog-buttons">
        <button type="button" onClick={() => onAnswer(false)} data-autofocus="true">
          Cancel
        </button>
        <button type="button" className="danger" onClick={() => onAnswer(true)}>
          {question.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
