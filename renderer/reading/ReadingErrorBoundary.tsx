import { Component } from 'react';
import type { ReactNode } from 'react';

export interface ReadingErrorBoundaryProps {
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | undefined;
}

/**
 * The reading pane's own error boundary (house style 16): a message that breaks a component leaves a note in the
 * pane, never a blank window. The pane keys it by message, so selecting another message starts afresh.
 */
export class ReadingErrorBoundary extends Component<ReadingErrorBoundaryProps, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    if (this.state.error === undefined) return this.props.children;
    return (
      <div className="rp-bar rp-bar-warning" role="alert">
        <p className="rp-bar-text">This message could not be shown.</p>
        <p className="rp-muted">{this.state.error.message}</p>
      </div>
    );
  }
}
