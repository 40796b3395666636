/** How a widget reaches its host: the host provides a context, the widget injects it. */
import { type InjectionKey } from 'vue';
import type { DeskboardContext } from './types';
/**
 * The injection key. It is the same symbol for the host and every plugin because `vue` and
 * `@deskboard/sdk` are each loaded once, through the page's import map.
 */
export declare const DESKBOARD_CONTEXT: InjectionKey<DeskboardContext>;
/** The host's services for the calling widget (call it in `setup`). */
export declare function useDeskboard(): DeskboardContext;
