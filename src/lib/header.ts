// The header's two scripts in one module (one request and one gzip stream on every page, the product page's 12 KB
// JavaScript budget included). Both keep what is prerendered when storage is unavailable.

// The account link says "Sign in" when this browser has no customer session: the plugin's session hint (localStorage;
// set on login, cleared on logout or any 401). Login and logout navigate, so this runs again.
const link = document.querySelector<HTMLAnchorElement>('a[data-account-link]');
// The region switcher: only the stored choice is read here; the price rendering and the cart move load when a
// non-default region is in use or chosen (region-switch.ts).
const select = document.querySelector<HTMLSelectElement>('select[data-region-select]');
try {
	if (link && localStorage.getItem(link.dataset.sessionKey!) !== '1') {
		link.textContent = 'Sign in';
		link.href = link.dataset.loginUrl!;
	}
	const stored = select && localStorage.getItem(select.dataset.regionKey!);
	for (const option of select?.options ?? []) if (option.value === stored) option.selected = true;
} catch {
	// Storage disabled: "Account", whose page sends signed-out visitors to the login page, and the first region.
}
if (select) {
	const load = () => import('./region-switch.ts');
	if (select.selectedIndex > 0) void load().then(({ showPrices }) => showPrices(select));
	select.addEventListener('change', () => void load().then(({ switchRegion }) => switchRegion(select)));
}
