// Small DOM helpers. Text goes in through textContent only: nothing the API returns is ever parsed
// as HTML (the pages also run under Trusted Types, which would refuse it).

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<"className" | "textContent" | "href" | "title" | "type", string>> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

export function show(node: HTMLElement, text?: string): void {
  if (text !== undefined) node.textContent = text;
  node.hidden = false;
}

export function hide(node: HTMLElement): void {
  node.hidden = true;
}

/** 1234567 -> "1.2 MB" (decimal units, as the API's weights count megabytes). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} byte${n === 1 ? "" : "s"}`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Copies text to the clipboard; falls back to selecting it for the person to copy. */
export async function copyText(text: string, fallbackSelect: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(fallbackSelect);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}

/** Busy state of a form's submit button, so a double click sends one request. */
export function busy(button: HTMLButtonElement, label: string | null): void {
  if (label === null) {
    button.disabled = false;
    if (button.dataset.label) button.textContent = button.dataset.label;
  } else {
    button.dataset.label ??= button.textContent ?? "";
    button.disabled = true;
    button.textContent = label;
  }
}
