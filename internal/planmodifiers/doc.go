// Package planmodifiers holds terraform-plugin-framework plan modifiers
// shared by the provider's schemas. Each is one modifier that does its whole
// job, so that its effect never depends on its place in a list (the
// framework runs an attribute's modifiers in order, hands each the plan
// value left by the one before, and adds up their replacements: a later
// modifier can change the value but never take a replacement back).
package planmodifiers
