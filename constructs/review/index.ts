export { reviewApps, reviewStack } from './diff';
export { diffValues, HIDDEN } from './values';
export type {
  AttributeChange,
  Flag,
  FlagKind,
  ResourceChange,
  ReviewedSuppression,
  StackReview,
  SynthesizedApp,
} from './types';
export { CATALOGUE, PROVIDER_TAG, lossOf } from './catalogue';
export type { CatalogueEntry } from './catalogue';
export { reviewPlan } from './plan';
export { readJsonFile, MAX_JSON_BYTES } from './files';
export { STATEFUL_TYPES, FORCES_REPLACEMENT } from './danger';
export { renderMarkdown, countFlags } from './markdown';
export type { RenderOptions } from './markdown';
export { loadOutdir, synthesizeProject, synthesizeRef } from './synth';
export { main as reviewMain, EXIT_OK, EXIT_ERROR, EXIT_FLAGGED } from './cli';
