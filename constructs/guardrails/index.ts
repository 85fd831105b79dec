export { Guardrails } from './guardrails';
export type { GuardrailsProps } from './guardrails';
export type { GuardrailRule, Severity, SynthesizedResource } from './rule';
export * from './rules';
export { isPinnedImage } from './rules/image-unpinned';
