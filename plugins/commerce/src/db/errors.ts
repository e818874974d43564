/**
 * Whether a failed statement broke a unique constraint, on SQLite ("UNIQUE constraint failed") or PostgreSQL (SQLSTATE
 * 23505). Dialect differences stay in db/; services ask this instead of reading driver messages.
 */
export function isUniqueViolation(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const code = (error as { code?: unknown }).code;
	return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505' || /UNIQUE constraint failed/.test(error.message);
}
