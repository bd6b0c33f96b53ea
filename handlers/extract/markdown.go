package extract

import (
	"strings"
)

// fromMarkdown keeps Markdown as it is, except a front matter block at the
// very start (YAML between --- lines, or TOML between +++ lines), whose
// fields become suggestions. Without a title there, the first heading
// suggests one.
func fromMarkdown(s string) Result {
	var r Result
	body := s
	if fields, rest, ok := frontMatter(s); ok {
		body = strings.TrimLeft(rest, "\n")
		r.Suggest = fromFields(fields)
	}
	r.Text = body
	if r.Suggest.Title == "" {
		r.Suggest.Title = firstHeading(body)
	}
	return r
}

// frontMatter splits off a leading front matter block and reads its
// top-level fields: key: value (or key = value), with lists written
// [a, b] or as "- item" lines under the key.
func frontMatter(s string) (map[string][]string, string, bool) {
	var fence, sep string
	switch {
	case strings.HasPrefix(s, "---\n"):
		fence, sep = "---", ":"
	case strings.HasPrefix(s, "+++\n"):
		fence, sep = "+++", "="
	default:
		return nil, s, false
	}
	lines := strings.SplitAfter(s, "\n")
	end := -1
	for i := 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\n")
		if l == fence || (fence == "---" && l == "...") {
			end = i
			break
		}
	}
	if end < 0 {
		return nil, s, false
	}
	fields := map[string][]string{}
	var last string
	for _, raw := range lines[1:end] {
		line := strings.TrimRight(raw, " \t\n")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if item, ok := strings.CutPrefix(trimmed, "- "); ok && last != "" && line != trimmed {
			fields[last] = append(fields[last], unquote(item))
			continue
		}
		if line != trimmed {
			continue // nested structure we do not read
		}
		key, value, ok := strings.Cut(line, sep)
		if !ok {
			continue
		}
		last = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch {
		case value == "":
			fields[last] = nil
		case strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]"):
			for _, item := range strings.Split(value[1:len(value)-1], ",") {
				if item = unquote(item); item != "" {
					fields[last] = append(fields[last], item)
				}
			}
		default:
			fields[last] = []string{unquote(value)}
		}
	}
	return fields, strings.Join(lines[end+1:], ""), true
}

func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		s = s[1 : len(s)-1]
	}
	return strings.TrimSpace(s)
}

// fromFields maps common front matter names onto the article's fields.
func fromFields(f map[string][]string) Metadata {
	one := func(keys ...string) string {
		for _, k := range keys {
			if v := f[k]; len(v) > 0 && strings.TrimSpace(v[0]) != "" {
				return strings.Join(v, ", ")
			}
		}
		return ""
	}
	m := Metadata{
		Title:       one("title"),
		Slug:        one("slug"),
		Publication: one("publication", "publisher", "site", "site_name", "source"),
		Date:        Date(one("date", "published", "published_on", "pubdate", "publication_date")),
		Dek:         one("dek", "subtitle", "description"),
		Summary:     one("summary", "abstract"),
		SourceNote:  one("source_note", "note"),
	}
	for _, k := range []string{"authors", "author", "by"} {
		if v := f[k]; len(v) > 1 {
			m.Authors = v
			break
		} else if len(v) == 1 {
			m.Authors = Authors(v[0])
			break
		}
	}
	if m.SourceNote == "" {
		if u := one("url", "source_url", "canonical"); strings.Contains(u, "://") {
			m.SourceNote = "Imported from " + u + "."
		}
	}
	if m.Slug != "" && Slug(m.Slug) != m.Slug {
		m.Slug = Slug(m.Slug)
	}
	return m
}

// firstHeading is the text of the first ATX heading ("# Title"), else the
// first line.
func firstHeading(s string) string {
	for _, line := range strings.Split(s, "\n") {
		t := strings.TrimSpace(line)
		rest := strings.TrimLeft(t, "#")
		level := len(t) - len(rest)
		if level < 1 || level > 6 || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		if h := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(rest), "#")); h != "" {
			return h
		}
	}
	return firstLine(s)
}
