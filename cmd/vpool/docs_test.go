package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/spf13/cobra"
)

// The documentation must work in a clone of the repository: every relative
// link in a Markdown file reaches a file of the repository (and, with an
// #anchor, one of its headings), and every path a page or a --help text
// mentions (a scenario file, a doc, a source file) exists. Nothing points
// outside the repository.

// repoRoot is the repository, from this package's directory.
const repoRoot = "../.."

var (
	mdLink = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	// pathToken is a relative path with a directory and a file extension,
	// or any path that climbs with ../.
	pathToken   = regexp.MustCompile("(?:^|[\\s(\"'`=])((?:\\.\\./)+[\\w.-]+(?:/[\\w.-]+)*|(?:\\./)?[\\w.-]+(?:/[\\w.-]+)+\\.(?:md|ya?ml|json|jsonl|go|png|svg|csv|html))")
	fence       = regexp.MustCompile("(?m)^\\s*```")
	headingLine = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
)

// placeholder is a file name that stands for the reader's own (FILE.yaml).
var placeholder = regexp.MustCompile(`^[A-Z_]+\.\w+$`)

// generated are paths the documented commands create: they need not exist.
var generated = []string{"sim-out/", "sweep-out/", "vpool-data/"}

func TestMarkdownLinksAndPathsResolveInTheRepository(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	files := markdownFiles(t, root)
	if len(files) < 5 {
		t.Fatalf("found only %v: is %s the repository?", files, root)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, file)
		text := string(data)
		for _, m := range mdLink.FindAllStringSubmatch(withoutCode(text), -1) {
			if err := checkLink(root, file, m[1]); err != "" {
				t.Errorf("%s: link %s: %s", rel, m[1], err)
			}
		}
		for _, p := range append(mentionedPaths(text), commandFiles(text)...) {
			if err := checkPath(root, filepath.Dir(file), p); err != "" {
				t.Errorf("%s: %s: %s", rel, p, err)
			}
		}
	}
}

func TestHelpTextsMentionOnlyFilesOfTheRepository(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		text := c.Long + "\n" + c.Example + "\n" + c.Flags().FlagUsages()
		for _, p := range append(mentionedPaths(text), commandFiles(c.Example)...) {
			if err := checkPath(root, root, p); err != "" {
				t.Errorf("%s --help: %s: %s", c.CommandPath(), p, err)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(rootCmd())
}

// markdownFiles lists the repository's Markdown files (testdata aside).
func markdownFiles(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// withoutCode is text with its fenced code blocks blanked: links there are
// not links.
func withoutCode(text string) string {
	parts := fence.Split(text, -1)
	for i := 1; i < len(parts); i += 2 {
		parts[i] = ""
	}
	return strings.Join(parts, "\n")
}

// mentionedPaths are the file paths a text names, in prose or code.
func mentionedPaths(text string) []string {
	var out []string
	for _, m := range pathToken.FindAllStringSubmatch(text, -1) {
		out = append(out, strings.TrimRight(m[1], "."))
	}
	return out
}

var (
	scenarioFile = regexp.MustCompile(`(^|[\s=])([\w./-]+\.(?:ya?ml|json))\b`)
	outputFile   = regexp.MustCompile(`(?:>|--out)\s+([\w./-]+)`)
)

// commandFiles are the scenario files the vpool command lines of a text
// read: every .yaml or .json argument but those a line writes (> FILE,
// --out FILE) and those an earlier line wrote.
func commandFiles(text string) []string {
	written := map[string]bool{}
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, "vpool ") || strings.Contains(line, "curl ") {
			continue
		}
		for _, m := range outputFile.FindAllStringSubmatch(line, -1) {
			written[m[1]] = true
		}
		for _, m := range scenarioFile.FindAllStringSubmatch(line, -1) {
			if !written[m[2]] {
				out = append(out, m[2])
			}
		}
	}
	return out
}

// checkLink checks a Markdown link target of file; "" when it resolves.
func checkLink(root, file, target string) string {
	if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
		return ""
	}
	path, anchor, _ := strings.Cut(target, "#")
	dest := file
	if path != "" {
		dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
		if !inside(root, dest) {
			return "points outside the repository"
		}
		if _, err := os.Stat(dest); err != nil {
			return "no such file"
		}
	}
	if anchor == "" || !strings.HasSuffix(dest, ".md") {
		return ""
	}
	data, err := os.ReadFile(dest)
	if err != nil {
		return err.Error()
	}
	for _, a := range headingAnchors(string(data)) {
		if a == anchor {
			return ""
		}
	}
	return "no heading with the anchor #" + anchor
}

// checkPath checks a path a text mentions: inside the repository, and
// present relative to the repository (where commands run) or to dir.
func checkPath(root, dir, p string) string {
	if placeholder.MatchString(filepath.Base(p)) {
		return ""
	}
	for _, g := range generated {
		if strings.HasPrefix(strings.TrimPrefix(p, "./"), g) {
			return ""
		}
	}
	fromRoot, fromDir := filepath.Join(root, p), filepath.Join(dir, p)
	if !inside(root, fromRoot) && !inside(root, fromDir) {
		return "points outside the repository"
	}
	for _, c := range []string{fromRoot, fromDir} {
		if _, err := os.Stat(c); err == nil && inside(root, c) {
			return ""
		}
	}
	return "no such file in the repository"
}

func inside(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// headingAnchors are the anchors GitHub gives a page's headings: lower
// case, punctuation dropped, spaces to hyphens, -1, -2… on repeats.
func headingAnchors(text string) []string {
	seen := map[string]int{}
	var out []string
	for _, m := range headingLine.FindAllStringSubmatch(withoutCode(text), -1) {
		var b strings.Builder
		for _, r := range strings.ToLower(m[1]) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out = append(out, a+"-"+strconv.Itoa(n))
		} else {
			out = append(out, a)
		}
		seen[a]++
	}
	return out
}

// What the README's commands leave in the working tree (files they write,
// the servers' default data directories) is in .gitignore.
func TestGitignoreCoversWhatTheReadmeWrites(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	ignore, err := os.ReadFile(filepath.Join(repoRoot, ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	ignored := map[string]bool{}
	for _, line := range strings.Split(string(ignore), "\n") {
		ignored[strings.Trim(strings.TrimSpace(line), "/")] = true
	}
	written := []string{"vpool-data", strings.TrimPrefix(demoDir, "./")}
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.Contains(line, "quote swap") { // its --out is a token
			continue
		}
		for _, m := range readmeOutput.FindAllStringSubmatch(line, -1) {
			written = append(written, m[1])
		}
	}
	for _, w := range written {
		w = strings.Trim(strings.TrimPrefix(w, "./"), "/")
		if !filepath.IsAbs(w) && !ignored[w] {
			t.Errorf("the README's commands write %s, which .gitignore does not list", w)
		}
	}
}

// readmeOutput is a file or directory a command line writes.
var readmeOutput = regexp.MustCompile(`(?:\s>|--out|\s-o)\s+([\w./-]+)`)

// The README asks for the Go version go.mod names.
func TestReadmeNamesGoModsGoVersion(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "Go "+string(m[1])+" or newer") {
		t.Fatalf("the README should ask for Go %s or newer, as go.mod does", m[1])
	}
}

// docs/scenario.md's table of error codes lists exactly the codes the
// engines define (package failure, cover and swap).
func TestErrorCodeTableIsComplete(t *testing.T) {
	defined := map[string]bool{}
	codeConst := regexp.MustCompile(`Code\s*=\s*"([a-z_]+)"`)
	for _, file := range []string{"failure/failure.go", "cover/errors.go", "swap/errors.go"} {
		src, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range codeConst.FindAllStringSubmatch(string(src), -1) {
			defined[m[1]] = true
		}
	}
	doc, err := os.ReadFile(filepath.Join(repoRoot, "docs/scenario.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, table, _ := strings.Cut(string(doc), "## Error codes")
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\|").FindAllStringSubmatch(table, -1) {
		if listed[m[1]] {
			t.Errorf("docs/scenario.md lists %s twice", m[1])
		}
		listed[m[1]] = true
	}
	if len(defined) < 50 {
		t.Fatalf("found only %d codes in the sources", len(defined))
	}
	for code := range defined {
		if !listed[code] {
			t.Errorf("error code %s is missing from docs/scenario.md", code)
		}
	}
	for code := range listed {
		if !defined[code] {
			t.Errorf("docs/scenario.md lists %s, which no engine defines", code)
		}
	}
}
