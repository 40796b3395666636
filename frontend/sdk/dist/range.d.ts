/**
 * Plugin API ranges: comma-separated comparisons on whole versions, as the manifests write them
 * (">=1,<2", "==1", "1", "~=1", "^1"). Anything else is refused, never guessed.
 */
/** Whether `version` satisfies `range`; throws on a range it cannot read. */
export declare function satisfiesRange(range: string, version: number): boolean;
/** Null when a plugin declaring `range` may run on `version`, else the reason it may not. */
export declare function rangeRefusal(range: unknown, version: number): string | null;
