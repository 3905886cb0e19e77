/** "Test account settings" and "Auto-detect" results, in plain words, with "Trust this certificate" when it helps. */
import { attemptLines, problemText, reportLines, untrustedCertificate } from './report-text.ts';
import type { AccountEditor } from './use-account-editor.ts';

export interface TestSectionProps {
  readonly editor: AccountEditor;
  readonly onTrust: (fingerprint: string) => void;
}

export function TestSection({ editor, onTrust }: TestSectionProps) {
  const { test } = editor;
  const running = test?.running === true;
  const report = test?.report;
  const lines = report === undefined ? [] : test?.mode === 'detect' ? attemptLines(report) : reportLines(report);
  const untrusted = report === undefined ? undefined : untrustedCertificate(report);
  const alreadyTrusted = untrusted !== undefined && untrusted.fingerprint === editor.form.tlsFingerprint;

  return (
    <section className="section test-section" aria-label="Test account settings">
      <div className="test-buttons">
        <button type="button" onClick={() => void editor.runTest('test')} disabled={running}>
          {running && test.mode === 'test' ? 'Testing…' : 'Test account settings'}
        </button>
        <span className="hint">Connects, logs in and counts the messages. Nothing is downloaded or deleted.</span>
      </div>
      <div aria-live="polite">
        {running ? <p className="muted">{test.mode === 'detect' ? 'Trying the usual ways in…' : 'Testing…'}</p> : null}
        {test?.error !== undefined ? <p className="field-error">{problemText(test.error)}</p> : null}
        {lines.length > 0 ? (
          <dl className="report">
            {lines.map((line, i) => (
              <div key={i} className={`report-line ${line.tone}`}>
                <dt>{line.label}</dt>
                <dd>{line.text}</dd>
              </div>
            ))}
          </dl>
        ) : null}
        {test?.mode === 'detect' && report?.chosen !== undefined ? (
          <p className="muted">Security and port were set to what works.</p>
        ) : null}
        {untrusted !== undefined && !alreadyTrusted ? (
          <div className="trust-offer">
            <p>
              {`The server's certificate${untrusted.subject === undefined ? '' : ` (${untrusted.subject})`} is not trusted. `}
              If this is your own server and the fingerprint below is the one you expect, you can trust exactly this
              certificate for this account.
            </p>
            <code className="fingerprint">{untrusted.fingerprint}</code>
            <button type="button" onClick={() => onTrust(untrusted.fingerprint)}>
              Trust this certificate
            </button>
          </div>
        ) : null}
        {alreadyTrusted ? <p className="muted">This certificate will be trusted once you save. Test again to check.</p> : null}
      </div>
    </section>
  );
}
