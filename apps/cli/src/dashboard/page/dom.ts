/** Attributes of an element made by {@link element}: `class`, `data-*`, `aria-*` and plain ones; `undefined` leaves one out. */
export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A new element with attributes and children. Text is always a text node: nothing from the lake or the URL is
 * ever read as HTML.
 *
 * @example element('td', { class: 'number' }, '1,234')
 */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | undefined)[]
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    made.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child !== undefined) made.append(child);
  }
  return made;
}
