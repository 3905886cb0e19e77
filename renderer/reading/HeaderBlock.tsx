import type { JSX } from 'react';
import type { Address } from '../../app/mail/types.ts';
import { formatAddress, formatDate } from './format.ts';

export interface HeaderBlockProps {
  readonly subject: string;
  readonly from: readonly Address[];
  readonly to: readonly Address[];
  readonly cc: readonly Address[];
  /** Epoch ms, when the Date header parsed. */
  readonly date: number | undefined;
  /** The Date header as written, when it did not parse. */
  readonly dateText?: string | undefined;
}

/** Subject, From, To, Cc and Date of a message: decoded text only, never markup. */
export function HeaderBlock(props: HeaderBlockProps): JSX.Element {
  const date = props.date === undefined ? (props.dateText ?? '') : formatDate(props.date);
  return (
    <header className="rp-headers">
      <h2 className="rp-subject">{props.subject.trim() === '' ? '(no subject)' : props.subject}</h2>
      <dl className="rp-fields">
        <AddressRow label="From" addresses={props.from} />
        <AddressRow label="To" addresses={props.to} />
        <AddressRow label="Cc" addresses={props.cc} />
        {date === '' ? null : (
          <div className="rp-field">
            <dt>Date</dt>
            <dd>{date}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}

interface AddressRowProps {
  readonly label: string;
  readonly addresses: readonly Address[];
}

function AddressRow({ label, addresses }: AddressRowProps): JSX.Element | null {
  const shown = addresses.filter((a) => a.name.trim() !== '' || a.address.trim() !== '');
  if (shown.length === 0) return null;
  return (
    <div className="rp-field">
      <dt>{label}</dt>
      <dd className="rp-addresses">
        {shown.map((address, i) => (
          <span className="rp-address" key={i} title={formatAddress(address)}>
            <AddressText address={address} />
            {i < shown.length - 1 ? ', ' : null}
          </span>
        ))}
      </dd>
    </div>
  );
}

/** The name, and always the address beside it: a display name alone is what a forged sender shows. */
function AddressText({ address }: { readonly address: Address }): JSX.Element {
  const name = address.name.trim();
  const addr = address.address.trim();
  if (name === '' || name.toLowerCase() === addr.toLowerCase()) return <span className="rp-name">{addr}</span>;
  if (addr === '') return <span className="rp-name">{name}</span>;
  return (
    <>
      <span className="rp-name">{name}</span> <span className="rp-addr">&lt;{addr}&gt;</span>
    </>
  );
}
