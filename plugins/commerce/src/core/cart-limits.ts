/**
 * The most of one variant a cart line may hold: one value for the Store API's validation, the cart service, the guest
 * cart merge and the islands' quantity inputs. 999 is the limit the database has enforced since the first release
 * (CHECK `quantity <= 999` on `line_item`), high enough for bulk orders of small items (stickers, mugs for a team)
 * and low enough that a typo (10000) is refused before it reaches stock checks. Pure, so islands can import it.
 */
export const MAX_LINE_QUANTITY = 999;
