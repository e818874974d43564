/** HTML that has already been escaped or built from escaped parts; `html` inserts it verbatim. */
export class SafeHtml {
	constructor(readonly value: string) {}

	toString(): string {
		return this.value;
	}
}

/** A value `html` can interpolate: text is escaped, `SafeHtml` is kept, arrays are joined, null/undefined/false vanish. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
	return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Tagged template for email markup that escapes every interpolated value unless it is `SafeHtml`,
 * so forgetting to escape a product title cannot happen.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
	let out = strings[0] ?? '';
	values.forEach((value, index) => {
		out += renderValue(value) + (strings[index + 1] ?? '');
	});
	return new SafeHtml(out);
}

function renderValue(value: HtmlValue): string {
	if (value === null || value === undefined || value === false) return '';
	if (value instanceof SafeHtml) return value.value;
	if (Array.isArray(value)) return value.map(renderValue).join('');
	return escapeHtml(String(value));
}

/** Options of `renderLayout`. */
export interface LayoutOptions {
	shopName: string;
	/** The document title, shown by some clients in previews and browser views. */
	title: string;
	/** Short text many clients show next to the subject in the inbox list. */
	preheader?: string;
	content: SafeHtml;
}

const NAVY = '#14213d';

/**
 * Wraps email content in the shop's layout: a navy header with the shop name and a white card at most 600px
 * wide. Styles are inline because most mail clients drop `<style>` blocks.
 */
export function renderLayout({ shopName, title, preheader, content }: LayoutOptions): string {
	const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;color:#1f2933;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;">
${preheader ? html`<div style="display:none;max-height:0;overflow:hidden;">${preheader}</div>` : ''}
<div style="max-width:600px;margin:0 auto;padding:16px 12px;">
<div style="background:${NAVY};color:#ffffff;padding:20px 24px;border-radius:6px 6px 0 0;">
<div style="font-size:20px;font-weight:bold;">${shopName}</div>
</div>
<div style="background:#ffffff;padding:24px;border-radius:0 0 6px 6px;">
${content}
</div>
<p style="margin:16px 0 0;color:#6b7280;font-size:13px;text-align:center;">${shopName}</p>
</div>
</body>
</html>
`;
	return page.value;
}
