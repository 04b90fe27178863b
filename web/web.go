// Package web holds the dashboard's static files: the page, its styles
// and its plain ES modules, embedded in the binary (there is no build
// step). It holds no logic of the market: every number shown comes from
// the API, and the page only formats it.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// FS returns the dashboard's files, rooted at the directory holding
// index.html.
func FS() fs.FS {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // "static" is embedded above
	}
	return sub
}
