import type { ComponentChildren, ComponentType, TargetedSubmitEvent } from 'preact';
import { Component } from 'preact';
import { configureAnalytics, track } from '../client/analytics.ts';
import { stockBadge } from '../client/availability.ts';
import { addItem, cartStoreUrl, configureCart, watchCart } from '../client/cart-store.ts';
import { storeRequest } from '../client/store-request.ts';
import type { ProductListResponse } from '../client/types.ts';
import { MAX_LINE_QUANTITY } from '../core/cart-limits.ts';
import type { ProductModel, Selection } from './product-model.ts';
import { isValueSoldOut, modelFromProduct, normalizeSelection, selectedVariant } from './product-model.ts';
import type { StockAlertFormProps } from './StockAlertForm.tsx';
import type { WishlistToggleProps } from './WishlistToggle.tsx';
import { Heart, hint, toLogin } from './wishlist-heart.tsx';

export type { ProductModel as AddToCartInitial } from './product-model.ts';

export interface AddToCartProps {
	/** Handle of the product (its content file name). */
	productHandle: string;
	/** Store API base. @default '/store' */
	storeUrl?: string;
	/** Build-time options and stock, so the selector renders (and works without JavaScript) before live data. */
	initial?: ProductModel;
	/** Where "View cart" leads. @default '/cart' */
	cartUrl?: string;
	/** Analytics beacon path (the plugin's `analyticsPath`). @default '/analytics/events' */
	analyticsUrl?: string;
	/** Shows the wishlist heart beside the button (it saves the chosen variant). @default false */
	wishlist?: boolean;
	/** The product's name, for the heart's accessible name. @default productHandle */
	productTitle?: string;
	/** Where the wishlist heart sends signed-out shoppers. @default '/account/login/' */
	loginUrl?: string;
	/** Where the "Checkout" link of the added-to-cart confirmation leads. @default '/checkout' */
	checkoutUrl?: string;
	/**
	 * Also renders a bar fixed to the bottom of small screens with `children` (the price) and a second "Add to cart"
	 * button for the same form, so price and button are on screen without scrolling. CSS hides it on wide screens.
	 * @default false
	 */
	buyBar?: boolean;
	children?: ComponentChildren;
	/**
	 * The buy bar's price as HTML, in place of `children`: what the `islands/AddToCart.astro` loader passes (it has no
	 * slots to hydrate). Hydration and later renders leave this markup as it is (the region switcher rewrites prices).
	 */
	priceHtml?: string;
}

interface AddToCartState {
	model: ProductModel;
	/** True once the live product (ids, stock) replaced the build-time one. */
	live?: boolean;
	chosen: Selection;
	quantity: string;
	error: string;
	status: string;
	/** A cart change is being sent (the shared cart state). */
	busy?: boolean;
	/** The session hint, read after hydration (the prerendered heart is the signed-out one). */
	signedIn?: boolean;
	// Loaded once needed: the product page's JavaScript budget (12 KB gz) leaves no room for what most shoppers never
	// see (the back-in-stock form of a sold-out variant, the signed-in wishlist heart).
	StockAlertForm?: ComponentType<StockAlertFormProps>;
	SignedInHeart?: ComponentType<WishlistToggleProps>;
}

/**
 * Variant selector, quantity and add-to-cart button with the live stock of the chosen variant. The first render uses
 * the build-time data; live stock and variant ids come from the Store API once the island is visible. A class
 * component: with CartIndicator, the product page's islands need no Preact hooks (1 KB gz of its 12 KB budget).
 */
export default class AddToCart extends Component<AddToCartProps, AddToCartState> {
	stop?: () => void;
	alertRequested?: boolean;

	constructor(props: AddToCartProps) {
		super(props);
		this.state = {
			model: props.initial ?? { options: [], variants: [] },
			chosen: {},
			quantity: '1',
			error: '',
			status: '',
		};
	}

	componentDidMount() {
		const { productHandle, wishlist } = this.props;
		this.stop = watchCart(({ busy }) => this.setState({ busy }));
		// Medusa has no retrieve-by-handle: the list filtered by handle.
		storeRequest<ProductListResponse>(cartStoreUrl(), 'GET', `/products?handle=${encodeURIComponent(productHandle)}`)
			.then(({ products: [product] }) => {
				if (!product) return this.setState({ error: 'This product is no longer available.' });
				this.setState({ model: modelFromProduct(product), live: true });
				track('product_view', { product_id: product.id });
			})
			.catch(() =>
				this.setState({
					error: 'Live stock could not be loaded, so adding to the cart is paused. Please reload the page.',
				}),
			);
		if (wishlist && hint()) {
			this.setState({ signedIn: true });
			void import('./WishlistToggle.tsx').then((module) => this.setState({ SignedInHeart: module.default }));
		}
	}

	componentWillUnmount() {
		this.stop?.();
	}

	render(
		{
			productHandle,
			storeUrl,
			cartUrl = '/cart',
			wishlist = false,
			productTitle = productHandle,
			analyticsUrl,
			loginUrl,
			checkoutUrl = '/checkout',
			buyBar = false,
			children,
			priceHtml,
		}: AddToCartProps,
		{ model, live, chosen, quantity, error, status, busy, signedIn, StockAlertForm, SignedInHeart }: AddToCartState,
	) {
		if (storeUrl) configureCart(storeUrl);
		if (analyticsUrl) configureAnalytics(analyticsUrl);
		const selection = normalizeSelection(model, chosen);
		const variant = selectedVariant(model, selection);
		const badge = variant ? stockBadge(variant.stock) : { status: 'sold_out', label: 'Unavailable' };
		const canAdd = live && !!variant?.id && variant.stock > 0 && !busy;
		const soldOut = live && !!variant?.id && variant.stock <= 0;
		// Only known here; the import starts once and its setState comes later, never during this render.
		if (soldOut && !this.alertRequested) {
			this.alertRequested = true;
			void import('./StockAlertForm.tsx').then((module) => this.setState({ StockAlertForm: module.default }));
		}

		const choose = (title: string, value: string) =>
			this.setState({ chosen: { ...selection, [title]: value }, status: '', error: '' });

		const submit = async (event: TargetedSubmitEvent<HTMLFormElement>) => {
			event.preventDefault();
			const count = Number(quantity);
			if (!Number.isInteger(count) || count < 1 || count > MAX_LINE_QUANTITY) {
				this.setState({ error: `Enter a quantity from 1 to ${MAX_LINE_QUANTITY}.` });
				return;
			}
			if (!canAdd || !variant?.id) return;
			this.setState({ error: '', status: '' });
			const result = await addItem(variant.id, count);
			if (result.ok) {
				this.setState({ status: count === 1 ? 'Added to cart.' : `Added ${count} to cart.` });
				const line = result.cart.items.find((item) => item.variant_id === variant.id);
				track('add_to_cart', {
					product_id: line?.variant?.product_id,
					variant_id: variant.id,
					cart_id: result.cart.id,
					...(line && result.cart.region
						? { value: line.unit_price * count, currency: result.cart.region.currency_code }
						: {}),
				});
			} else this.setState({ error: result.error.message });
		};

		const base = `atc-${productHandle}`;
		const buttonLabel = busy ? 'Adding…' : variant && variant.stock <= 0 ? 'Sold out' : 'Add to cart';
		return (
			<>
				<form class="variant-form" id={`${base}-form`} onSubmit={submit} aria-busy={busy}>
					<p
						class={`stock-badge stock-badge--${badge.status}`}
						data-stock-badge
						data-stock-live={live ? 'true' : undefined}
					>
						{badge.label}
					</p>
					{model.variants.length > 1 &&
						model.options.map((option, i) => (
							<fieldset class="option-group" key={option.title}>
								<legend class="option-group__legend">{option.title}</legend>
								<div class="option-group__values">
									{option.values.map((value, j) => {
										const soldOut = isValueSoldOut(model, option.title, value);
										return (
											<span class="option-value" key={value}>
												<input
													type="radio"
													id={`${base}-${i}-${j}`}
													name={`${base}-${i}`}
													value={value}
													checked={selection[option.title] === value}
													disabled={soldOut}
													onChange={() => choose(option.title, value)}
												/>
												<label for={`${base}-${i}-${j}`}>
													{value}
													{soldOut && <span class="option-value__sold-out"> (sold out)</span>}
												</label>
											</span>
										);
									})}
								</div>
							</fieldset>
						))}
					<div class="quantity-field">
						<label for={`${base}-qty`}>Quantity</label>
						<input
							id={`${base}-qty`}
							name="quantity"
							type="number"
							inputmode="numeric"
							min="1"
							max={MAX_LINE_QUANTITY}
							step="1"
							required
							value={quantity}
							onInput={(event) => this.setState({ quantity: event.currentTarget.value })}
							aria-invalid={error.startsWith('Enter a quantity') || undefined}
						/>
					</div>
					<div class="variant-form__actions">
						<button type="submit" class="button button--primary button--block" disabled={!canAdd}>
							{buttonLabel}
						</button>
						{wishlist &&
							(SignedInHeart ? (
								<SignedInHeart
									variantId={live ? variant?.id : undefined}
									productTitle={productTitle}
									storeUrl={storeUrl}
									loginUrl={loginUrl}
								/>
							) : (
								<Heart
									pressed={false}
									disabled={!live || !variant?.id || !!signedIn}
									productTitle={productTitle}
									onClick={() => toLogin(loginUrl ?? '/account/login/')}
								/>
							))}
					</div>
					<p class="form-error" role="alert">
						{error}
					</p>
					{/* The mini-cart confirmation: what the cart holds now, and the way on to the cart or straight to checkout. */}
					<div class="form-status mini-cart" role="status" data-open={status ? 'true' : undefined}>
						{status && (
							<>
								<p class="mini-cart__title">{status}</p>
								<p class="mini-cart__links">
									<a href={cartUrl}>View cart</a>
									<a class="button button--primary" href={checkoutUrl}>
										Checkout
									</a>
								</p>
							</>
						)}
					</div>
				</form>
				{buyBar && (
					<div class="buy-bar">
						<span
							class="buy-bar__price"
							dangerouslySetInnerHTML={priceHtml === undefined ? undefined : { __html: priceHtml }}
						>
							{children}
						</span>
						<button type="submit" form={`${base}-form`} class="button button--primary" disabled={!canAdd}>
							{buttonLabel}
						</button>
					</div>
				)}
				{soldOut && StockAlertForm && variant?.id && <StockAlertForm variantId={variant.id} storeUrl={storeUrl} />}
			</>
		);
	}
}
