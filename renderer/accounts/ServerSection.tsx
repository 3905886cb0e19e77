/** Who the account is and how to reach its server: name, address, server, security, port, user, password. */
import { useState } from 'react';
import { AUTH_METHODS, SECURITY_LABELS, type Security } from './account-form.ts';
import { Checkbox, TextField } from './fields.tsx';
import type { AccountEditor } from './use-account-editor.ts';

export interface ServerSectionProps {
  readonly editor: AccountEditor;
  readonly focusPassword: boolean;
}

export function ServerSection({ editor, focusPassword }: ServerSectionProps) {
  const { form, set, errors } = editor;
  const [replacing, setReplacing] = useState(focusPassword);
  const detecting = editor.test?.mode === 'detect' && editor.test.running;
  const showPasswordField = editor.isNew || replacing || editor.hasSecret === false;

  return (
    <fieldset className="section">
      <legend>Account</legend>
      <TextField label="Name" value={form.name} error={errors.name} onChange={(v) => set('name', v)} hint="Shown in the folder list." />
      <TextField label="Email address" type="email" inputMode="email" value={form.email} error={errors.email} onChange={(v) => set('email', v)} />
      <TextField label="POP3 server" value={form.host} error={errors.host} onChange={(v) => set('host', v)}>
        <button
          type="button"
          onClick={() => void editor.runTest('detect')}
          disabled={detecting}
          title="Try SSL/TLS on 995, then STARTTLS and plain on 110, and use what works"
        >
          {detecting ? 'Detecting…' : 'Auto-detect'}
        </button>
      </TextField>
      <div className="field-row">
        <div className="field">
          <label htmlFor="account-security">Security</label>
          <select
            id="account-security"
            value={form.security}
            onChange={(e) => set('security', e.target.value as Security)}
          >
            {(Object.keys(SECURITY_LABELS) as Security[]).map((s) => (
              <option key={s} value={s}>
                {SECURITY_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <TextField label="Port" inputMode="numeric" className="port" value={form.port} error={errors.port} onChange={(v) => set('port', v)} />
      </div>
      <TextField label="User name" value={form.user} error={errors.user} onChange={(v) => set('user', v)} />
      {showPasswordField ? (
        <TextField
          label={editor.isNew ? 'Password' : 'New password'}
          type="password"
          autoFocus={focusPassword}
          autoComplete="new-password"
          value={form.password}
          error={errors.password}
          onChange={(v) => set('password', v)}
          hint="Kept by Poplar's secure store on this computer; it is never shown again."
        />
      ) : (
        <div className="field">
          <span className="label">Password</span>
          <div className="field-input">
            <span className="saved">{editor.hasSecret === undefined ? 'Checking…' : 'Saved'}</span>
            <button type="button" onClick={() => setReplacing(true)}>
              Replace password
            </button>
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor="account-method">Login method</label>
        <select
          id="account-method"
          value={form.authMethod}
          onChange={(e) => set('authMethod', AUTH_METHODS.find((m) => m === e.target.value) ?? '')}
        >
          <option value="">The strongest the server offers</option>
          {AUTH_METHODS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </select>
      </div>
      {form.security === 'none' ? (
        <div className="plaintext">
          <Checkbox checked={form.allowPlaintextPassword} onChange={(v) => set('allowPlaintextPassword', v)}>
            Allow sending the password unencrypted
          </Checkbox>
          <p className="warning" role="note">
            Without encryption, anyone on the network between you and the server can read your password and your mail.
            Allow this only for a server on your own network.
          </p>
        </div>
      ) : null}
      {form.tlsFingerprint !== '' || errors.tlsFingerprint !== undefined ? (
        <div className="field trusted-cert">
          <span className="label">Trusted certificate</span>
          <div className="field-input">
            <code className="fingerprint">{form.tlsFingerprint}</code>
            <button type="button" onClick={() => set('tlsFingerprint', '')}>
              Stop trusting
            </button>
          </div>
          {errors.tlsFingerprint !== undefined ? <p className="field-error">{errors.tlsFingerprint}</p> : null}
        </div>
      ) : null}
    </fieldset>
  );
}
