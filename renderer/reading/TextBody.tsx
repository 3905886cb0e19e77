import { useMemo } from 'react';
import type { JSX, MouseEvent } from 'react';
import { textToHtml } from './render-text.ts';

export interface TextBodyProps {
  readonly text: string;
  readonly onOpenLink: (url: string) => void;
  readonly className?: string;
}

/**
 * A text/plain body in the app's own document. The markup is render-text.ts's: escaped text and http(s)/mailto
 * links, nothing else. A click on a link never navigates the app: it goes to the host, which validates the URL and
 * opens it outside.
 */
export function TextBody({ text, onOpenLink, className }: TextBodyProps): JSX.Element {
  const html = useMemo(() => ({ __html: textToHtml(text) }), [text]);
  const follow = (event: MouseEvent<HTMLDivElement>): void => {
    if (!(event.target instanceof Element)) return;
    const link = event.target.closest('a');
    if (link === null || !event.currentTarget.contains(link)) return;
    // A middle click opens the link too; a right click keeps its context menu.
    if (event.type === 'auxclick' && event.button !== 1) return;
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href !== null) onOpenLink(href);
  };
  return (
    <div
      className={className === undefined ? 'rp-text' : `rp-text ${className}`}
      onClick={follow}
      onAuxClick={follow}
      dangerouslySetInnerHTML={html}
    />
  );
}
