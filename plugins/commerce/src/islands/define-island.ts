import type { ComponentType } from 'preact';
import { h, hydrate, render } from 'preact';

/**
 * Makes `<tag data-props="{…}">`, prerendered by the `.astro` loaders beside this file, a Preact island of `Component`:
 * on connection it hydrates the prerendered markup with the JSON props, on disconnection (a view-transition swap) it
 * unmounts, so the component's cart subscriptions end. This is all the product page needs of Astro's island loader
 * (`<astro-island>`, ~1.4 KB gz inline, and its Preact client, 0.6 KB), which its 12 KB gz budget cannot carry
 * (system_design.md §3 "Product page budget"). A custom element rather than a query at load: elements a client-side
 * router inserts later hydrate too. Module scripts run after parsing, so the children are complete on connection.
 */
export function defineIsland<P>(tag: string, Component: ComponentType<P>): void {
	// The module can be evaluated twice (two builds' chunks on one page); a second `define` would throw.
	if (customElements.get(tag)) return;
	customElements.define(
		tag,
		class extends HTMLElement {
			connectedCallback() {
				hydrate(h(Component, JSON.parse(this.dataset.props || '{}')), this);
				// What tests and the page bench wait for (Astro's islands drop their `ssr` attribute the same way).
				this.dataset.hydrated = '';
			}
			disconnectedCallback() {
				render(null, this);
				delete this.dataset.hydrated;
			}
		},
	);
}
