// Package lint grades breach notices.
package lint
