/** The quiz engine's pure core: draw, grading, attempt rules, the answer form and the review. */
export * from './answer-form.js';
export * from './draw.js';
export * from './grading.js';
export * from './present.js';
export * from './random.js';
export * from './review.js';
export * from './rules.js';
