// Loaded by AddToCart.astro's script: `<commerce-add-to-cart>` hydrates as the AddToCart island.
import AddToCart from '../components/AddToCart.tsx';
import { defineIsland } from './define-island.ts';

defineIsland('commerce-add-to-cart', AddToCart);
