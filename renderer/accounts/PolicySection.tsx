/** The account's policies, each as a sentence with its numbers inside: what to download, keep, and when to check. */
import type { AccountForm } from './account-form.ts';
import { Checkbox, InlineNumber, RadioGroup } from './fields.tsx';
import type { AccountEditor } from './use-account-editor.ts';

export interface PolicySectionProps {
  readonly editor: AccountEditor;
  /** "Start from now" only means something before the account's first complete check. */
  readonly firstSyncDone: boolean;
}

export function PolicySection({ editor, firstSyncDone }: PolicySectionProps) {
  const { form, set, errors } = editor;
  const number = (field: keyof AccountForm & ('previewLines' | 'maxKb' | 'leaveDays' | 'everyMinutes'), label: string, disabled = false) => (
    <InlineNumber
      label={label}
      value={form[field]}
      invalid={errors[field] !== undefined}
      disabled={disabled}
      onChange={(v) => set(field, v)}
    />
  );
  const downloadError = errors.previewLines ?? errors.maxKb;

  return (
    <fieldset className="section policies">
      <legend>What Poplar does with this mailbox</legend>
      <RadioGroup
        legend="What to download"
        value={form.download}
        onChange={(v) => set('download', v)}
        error={downloadError}
        options={[
          { value: 'previews', label: <>Previews: the headers and the first {number('previewLines', 'Lines of preview', form.download !== 'previews')} lines</> },
          { value: 'whole', label: 'Whole messages' },
          {
            value: 'whole-up-to',
            label: (
              <>
                Whole messages up to {number('maxKb', 'Largest whole message in KB', form.download !== 'whole-up-to')} KB;
                previews of larger ones
              </>
            ),
          },
        ]}
      />
      <RadioGroup
        legend="What to leave on the server"
        value={form.leave}
        onChange={(v) => set('leave', v)}
        error={errors.leaveDays}
        options={[
          { value: 'nothing', label: 'Nothing: delete each message there once it is downloaded' },
          { value: 'forever', label: 'Everything, forever' },
          { value: 'days', label: <>Each message for {number('leaveDays', 'Days to keep on the server', form.leave !== 'days')} days</> },
          { value: 'until-deleted', label: 'Each message until I delete it in Poplar (from Deleted Items)' },
        ]}
      />
      <p className="hint">Whatever you choose, a message is deleted on the server only once it is stored whole on this computer, or because you deleted it.</p>
      <fieldset className="radio-group">
        <legend>When to check</legend>
        <Checkbox checked={form.atStartup} onChange={(v) => set('atStartup', v)}>
          When Poplar starts
        </Checkbox>
        <Checkbox checked={form.checkEvery} onChange={(v) => set('checkEvery', v)}>
          Every {number('everyMinutes', 'Minutes between checks', !form.checkEvery)} minutes
        </Checkbox>
        <Checkbox checked={form.inSendReceiveAll} onChange={(v) => set('inSendReceiveAll', v)}>
          In “Send/Receive All” (F9)
        </Checkbox>
        {!form.atStartup && !form.checkEvery ? <p className="hint">Only when you ask: Send/Receive This Account.</p> : null}
        {errors.everyMinutes !== undefined ? <p className="field-error" role="alert">{errors.everyMinutes}</p> : null}
      </fieldset>
      <RadioGroup
        legend="The first time"
        value={form.newAccount}
        disabled={firstSyncDone}
        onChange={(v) => set('newAccount', v)}
        options={[
          { value: 'fetch-all', label: 'Fetch everything already on the server' },
          { value: 'start-from-now', label: 'Start from now: what is there now counts as seen; only new mail is fetched' },
        ]}
      />
      {firstSyncDone ? <p className="hint">The first check is done, so this no longer applies.</p> : null}
    </fieldset>
  );
}
