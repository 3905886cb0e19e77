/** The account form's small building blocks: a labelled field with its error, radio groups, checkboxes. */
import { useId, type ReactNode, type Ref } from 'react';

export interface TextFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string;
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'password';
  readonly inputMode?: 'numeric' | 'email' | 'text';
  readonly autoComplete?: string;
  readonly className?: string;
  readonly inputRef?: Ref<HTMLInputElement>;
  /** Focused when the dialog opens. */
  readonly autoFocus?: boolean;
  readonly children?: ReactNode;
}

export function TextField(props: TextFieldProps) {
  const id = useId();
  const describedBy = [props.error === undefined ? '' : `${id}-error`, props.hint === undefined ? '' : `${id}-hint`]
    .filter((s) => s !== '')
    .join(' ');
  return (
    <div className={`field ${props.className ?? ''}`}>
      <label htmlFor={id}>{props.label}</label>
      <div className="field-input">
        <input
          id={id}
          ref={props.inputRef}
          data-autofocus={props.autoFocus === true ? 'true' : undefined}
          type={props.type ?? 'text'}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete ?? 'off'}
          spellCheck={false}
          value={props.value}
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy === '' ? undefined : describedBy}
          onChange={(e) => props.onChange(e.target.value)}
        />
        {props.children}
      </div>
      {props.hint !== undefined ? (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      ) : null}
      {props.error !== undefined ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A small number inside a sentence ("previews of [40] lines"). */
export function InlineNumber(props: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly invalid: boolean;
  readonly disabled?: boolean;
}) {
  return (
    <input
      className="inline-number"
      type="text"
      inputMode="numeric"
      aria-label={props.label}
      aria-invalid={props.invalid}
      disabled={props.disabled}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

export interface Option<T extends string> {
  readonly value: T;
  readonly label: ReactNode;
}

export function RadioGroup<T extends string>(props: {
  readonly legend: string;
  readonly value: T;
  readonly options: readonly Option<T>[];
  readonly onChange: (value: T) => void;
  readonly error?: string;
  readonly disabled?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="radio-group" disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {props.options.map((o) => (
        <label key={o.value} className="radio">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={props.value === o.value}
            onChange={() => props.onChange(o.value)}
          />
          <span>{o.label}</span>
        </label>
      ))}
      {props.error !== undefined ? (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function Checkbox(props: {
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly children: ReactNode;
}) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <span>{props.children}</span>
    </label>
  );
}
