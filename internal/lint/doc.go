// Package lint grades breach notices the way a breach coach would, on
// eight principles — empathy, transparency, remediation, protection,
// loyalty, clarity, safety and legal content — each scored 0–100, with an
// overall score and the findings behind every lost point.
//
// Parse reads Markdown, HTML or plain text into a Document: the prose as
// plain text split into headings, paragraphs and list items, the links it
// contains, and a map from every byte back to the source line and column.
// A Linter built with New runs the rules (see Rules and RULES.md) against
// Options: the organisation whose domains links must use, the legal
// Requirements of each jurisdiction (LawRequirements adapts the law
// engine's rules), the exposed data elements and a Config of severities
// and thresholds. Results print as compiler-style text, JSON or SARIF
// 2.1.0 (Write).
//
// The package reads English notices. It holds no state between calls and
// touches no storage.
package lint
