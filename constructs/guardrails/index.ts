export { Guardrails, normalizeBooleans, SUPPRESSIONS_KEY } from './guardrails';
export type { GuardrailsProps, GuardrailSuppression } from './guardrails';
export type { GuardrailRule, Severity, SynthesizedResource } from './rule';
export { userTerm } from './rule';
export * from './rules';
export { isPinnedImage } from './rules/image-unpinned';
