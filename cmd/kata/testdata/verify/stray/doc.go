// Package stray has a solution file that replaces nothing.
package stray
