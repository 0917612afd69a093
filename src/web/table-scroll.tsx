import type { Children } from '@kitajs/html';

/**
 * The frame that lets a wide table scroll on a phone. It can take the focus, so that a keyboard
 * scrolls it too, and is named after its table for whoever lands on it.
 */
export function TableScroll(props: { label: string; children: Children }): JSX.Element {
  return (
    <section class="table-scroll" aria-label={props.label} tabindex="0">
      {props.children}
    </section>
  );
}
