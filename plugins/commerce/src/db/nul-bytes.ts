import {
	type KyselyPlugin,
	OperationNodeTransformer,
	type PluginTransformQueryArgs,
	type PluginTransformResultArgs,
	type PrimitiveValueListNode,
	type QueryResult,
	type RootOperationNode,
	type UnknownRow,
	type ValueNode,
} from 'kysely';

// PostgreSQL refuses a NUL character (U+0000) anywhere in text ("invalid byte sequence for encoding UTF8: 0x00"),
// which would turn a shopper's stray control character in a name or message into a 500. No text the store keeps
// means anything with NUL in it, so on PostgreSQL every string parameter loses its NUL characters before it is sent.
// SQLite stores them as they are.

/** The value without NUL characters when it is a string; anything else as it is. */
export const stripNul = (value: unknown) =>
	typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;

class StripNul extends OperationNodeTransformer {
	protected override transformValue(node: ValueNode): ValueNode {
		const value = stripNul(node.value);
		return value === node.value ? node : { ...node, value };
	}

	protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
		return node.values.some((v) => stripNul(v) !== v) ? { ...node, values: node.values.map(stripNul) } : node;
	}
}

/** Strips NUL characters from every string parameter of every query (installed on PostgreSQL connections). */
export class StripNulBytesPlugin implements KyselyPlugin {
	readonly #transformer = new StripNul();

	transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
		return this.#transformer.transformNode(args.node);
	}

	async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
		return args.result;
	}
}
