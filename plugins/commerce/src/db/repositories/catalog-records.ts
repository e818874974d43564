import { type Expression, type SqlBool, sql } from 'kysely';

// Records and SQL helpers shared by the catalog repositories.

export interface CategoryRecord {
	id: string;
	handle: string;
	name: string;
	/** Position among the visible categories, in content order (the first product file that uses it). */
	rank: number;
	createdAt: string;
	updatedAt: string;
}

export interface CollectionRecord {
	id: string;
	handle: string;
	title: string;
	createdAt: string;
	updatedAt: string;
}

export interface Page {
	limit: number;
	offset: number;
}

export function containsPattern(term: string): string {
	return `%${term.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
}

// Kysely's `like` operator has no ESCAPE clause, and without one SQLite has no escape character at all.
export function containsIgnoringCase(column: Expression<string | null>, pattern: string): Expression<SqlBool> {
	return sql<SqlBool>`lower(${column}) like ${pattern} escape '!'`;
}
