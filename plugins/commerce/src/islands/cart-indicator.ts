// Loaded by CartIndicator.astro's script: `<commerce-cart-indicator>` hydrates as the CartIndicator island.
import CartIndicator from '../components/CartIndicator.tsx';
import { defineIsland } from './define-island.ts';

defineIsland('commerce-cart-indicator', CartIndicator);
