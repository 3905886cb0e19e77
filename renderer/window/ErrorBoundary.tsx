/**
 * One per pane (house style 16): a failure while rendering one pane (a store read that failed, a bug) shows there,
 * in plain words with a way to try again, and the other panes go on working.
 */
import { Component, type ReactNode } from 'react';
import { toErrorData } from '../../app/errors.ts';
import { describeProblem } from './status-text.ts';

interface Props {
  readonly name: string;
  readonly children: ReactNode;
}

interface State {
  readonly error: unknown;
  readonly failed: boolean;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    const data = toErrorData(this.state.error);
    const problem = describeProblem(data);
    return (
      <div className="pane-error" role="alert">
        <p className="pane-error-title">{`The ${this.props.name} could not be shown.`}</p>
        <p>{problem.headline}</p>
        <p className="muted">{data.message}</p>
        <button
          type="button"
          onClick={() => {
            this.setState({ error: undefined, failed: false });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      {`Loading ${what}…`}
    </div>
  );
}
