import { useState } from 'preact/hooks';
import { createAccountClient } from '../client/account-client.ts';
import type { StoreWishlistItem } from '../client/account-types.ts';
import { addItem, configureCart } from '../client/cart-store.ts';
import type { StoreApiError } from '../client/store-client.ts';
import { lineName, variantText } from '../core/line-name.ts';
import { LoadState } from './account-fields.tsx';
import { failureText, LOGIN_URL, redirectToLogin, useCustomerData } from './account-form.ts';
import { formatDate } from './account-orders.ts';

export interface WishlistProps {
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** @default '/account/login/' */
	loginUrl?: string;
	/** Product pages live at this prefix + handle + `/`. @default '/products/' */
	productBase?: string;
	/** @default '/cart' */
	cartUrl?: string;
	/** @default '/#catalog' */
	catalogUrl?: string;
}

/** The saved variants, each with a link to its product, "Add to cart" and "Remove". */
export default function Wishlist({
	storeUrl,
	loginUrl = LOGIN_URL,
	productBase = '/products/',
	cartUrl = '/cart',
	catalogUrl = '/#catalog',
}: WishlistProps) {
	if (storeUrl) configureCart(storeUrl);
	const client = createAccountClient(storeUrl);
	const [state, setItems, retry] = useCustomerData(() => client.getWishlist(), loginUrl);
	const [busy, setBusy] = useState<string | null>(null);
	const [failure, setFailure] = useState('');
	const [status, setStatus] = useState<{ text: string; cart?: boolean }>({ text: '' });

	if (state.kind !== 'ready') return <LoadState state={state} what="your wishlist" retry={retry} />;
	const items = state.data;

	async function run(item: StoreWishlistItem, action: 'cart' | 'remove') {
		if (busy) return;
		setBusy(item.variant_id);
		setFailure('');
		setStatus({ text: '' });
		const name = lineName(item.title, item.variant_title);
		try {
			if (action === 'remove') {
				setItems(await client.removeFromWishlist(item.variant_id));
				setStatus({ text: `Removed ${name} from your wishlist.` });
			} else {
				const result = await addItem(item.variant_id, 1);
				if (!result.ok) throw result.error;
				setStatus({ text: `Added ${name} to your cart.`, cart: true });
			}
		} catch (error) {
			if ((error as StoreApiError).status === 401) return redirectToLogin(loginUrl);
			setFailure(failureText(error as StoreApiError));
		} finally {
			setBusy(null);
		}
	}

	return (
		<div class="wishlist">
			{items.length === 0 ? (
				<div class="empty-state">
					<p>Your wishlist is empty. Tap the heart on a product page to save it here.</p>
					<a class="button button--primary" href={catalogUrl}>
						Browse the catalog
					</a>
				</div>
			) : (
				<ul class="wishlist__list" role="list">
					{items.map((item) => {
						const name = lineName(item.title, item.variant_title);
						const href = item.handle ? `${productBase}${encodeURIComponent(item.handle)}/` : undefined;
						return (
							<li key={item.variant_id} class="wishlist-item" data-variant-id={item.variant_id}>
								{item.thumbnail ? (
									<img
										class="wishlist-item__image"
										src={item.thumbnail}
										alt=""
										width="96"
										height="96"
										loading="lazy"
										decoding="async"
									/>
								) : (
									<span />
								)}
								<div class="wishlist-item__info">
									<h2 class="wishlist-item__title">{href ? <a href={href}>{item.title}</a> : item.title}</h2>
									{variantText(item.title, item.variant_title) && (
										<p class="wishlist-item__variant">{variantText(item.title, item.variant_title)}</p>
									)}
									<p class="wishlist-item__added">
										Saved <time dateTime={item.added_at}>{formatDate(item.added_at)}</time>
									</p>
								</div>
								<div class="wishlist-item__actions">
									<button
										type="button"
										class="button button--primary"
										disabled={!!busy}
										aria-label={`Add ${name} to cart`}
										onClick={() => run(item, 'cart')}
									>
										Add to cart
									</button>
									<button
										type="button"
										class="button"
										disabled={!!busy}
										aria-label={`Remove ${name} from wishlist`}
										onClick={() => run(item, 'remove')}
									>
										Remove
									</button>
								</div>
							</li>
						);
					})}
				</ul>
			)}
			<p class="form-error" role="alert">
				{failure}
			</p>
			<p class="form-status form-success" role="status">
				{status.text}
				{status.cart && (
					<>
						{' '}
						<a href={cartUrl}>View cart</a>
					</>
				)}
			</p>
		</div>
	);
}
