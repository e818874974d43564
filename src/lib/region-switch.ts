// The region switcher's work, loaded only when a shopper uses a non-default region (see RegionSwitcher.astro).

/** Re-renders the page's prices (`data-prices`) in the currency of the selected region. */
export function showPrices(select: HTMLSelectElement): void {
	const currency = select.selectedOptions[0]?.dataset.currency ?? 'usd';
	const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
	for (const price of document.querySelectorAll<HTMLElement>('[data-prices]')) {
		const amount = (JSON.parse(price.dataset.prices ?? '{}') as Record<string, number | undefined>)[currency];
		const text = price.querySelector('.price__amount');
		if (text) text.textContent = amount === undefined ? 'Not sold in this region' : format.format(amount / 100);
	}
}

/**
 * Remembers the chosen region, moves the shopper's cart to it (the Store API re-prices every line in the new currency;
 * a failure leaves the cart as it was and the cart page shows what the API holds), and reloads so every island reads
 * the cart again.
 */
export async function switchRegion(select: HTMLSelectElement): Promise<void> {
	const { regionKey = '', cartKey = '', storeUrl = '/store' } = select.dataset;
	select.disabled = true;
	showPrices(select);
	let cartId: string | null = null;
	try {
		localStorage.setItem(regionKey, select.value);
		cartId = localStorage.getItem(cartKey);
	} catch {
		// No storage: nothing to remember, no cart to move.
	}
	if (cartId)
		await fetch(`${storeUrl}/carts/${encodeURIComponent(cartId)}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ region_id: select.value }),
		}).catch(() => undefined);
	location.reload();
}
