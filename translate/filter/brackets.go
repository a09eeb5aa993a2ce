package filter

import (
	"strconv"
	"strings"
)

// bracket scans the value filter after the "[" at s.toks[s.i-1] and
// leaves s.i after the matching "]".
func (s *scanner) bracket(open token) (vfText, *scanner, error) {
	j := s.i
	for ; s.toks[j].kind != kRBrack; j++ {
		switch s.toks[j].kind {
		case kEnd:
			return vfText{}, nil, fail(`missing "]" for the "[" at position %d`, open.pos+1)
		case kLBrack:
			return vfText{}, nil, fail("value filters cannot be nested (position %d)", s.toks[j].pos+1)
		}
	}
	in := s.sub(s.toks[s.i : j+1])
	text, err := in.run()
	if err != nil {
		return vfText{}, nil, err
	}
	s.i = j + 1
	return vfText{filter: text}, in, nil
}

// valuePath scans attr[filter] in a filter, and Entra's
// attr[filter].sub op value, and emits a marker in their place.
func (s *scanner) valuePath(open token) error {
	vf, in, err := s.bracket(open)
	if err != nil {
		return err
	}
	if t := s.toks[s.i]; t.kind == kWord && strings.HasPrefix(t.text, ".") {
		if vf.suffix, err = s.suffix(in.peak); err != nil {
			return err
		}
	}
	s.lx.vfs = append(s.lx.vfs, vf)
	s.emit("[" + marker + ` eq "` + strconv.Itoa(len(s.lx.vfs)-1) + `"]`)
	return nil
}

// suffix scans Entra's ".sub op value" after a value filter. It becomes
// one more term of the filter, which then needs one more level of
// parentheses around the rest.
func (s *scanner) suffix(peak int) (string, error) {
	t := s.toks[s.i]
	s.i++
	if len(t.text) == 1 {
		return "", fail(`missing sub-attribute name after "]." at position %d`, t.pos+1)
	}
	if peak+1 > MaxDepth {
		return "", fail("parentheses nest deeper than %d levels", MaxDepth)
	}
	toks := []token{{kind: kWord, text: t.text[1:], pos: t.pos + 1}}
	if op := s.toks[s.i]; op.kind == kWord && isOp(op.text) {
		toks = append(toks, op)
		s.i++
		if v := s.toks[s.i]; !strings.EqualFold(op.text, "pr") && (v.kind == kWord || v.kind == kString) {
			toks = append(toks, v)
			s.i++
		}
	}
	toks = append(toks, token{kind: kEnd, pos: s.toks[s.i].pos})
	return s.sub(toks).run()
}

// pathParts is a PATCH path split into its parts.
type pathParts struct {
	attr token  // the attribute path
	vf   int    // index into lexed.vfs, or -1
	sub  string // the sub-attribute name after the value filter, or ""
}

// path scans a PATCH path: attrPath, or attrPath[filter] with an optional
// ".sub" after it. The grammar checks the attribute path and the filter;
// the sub-attribute name is checked against the schema.
func (lx *lexed) path(toks []token) (pathParts, error) {
	p := pathParts{attr: toks[0], vf: -1}
	if p.attr.kind != kWord {
		return p, fail("a path starts with an attribute name, found %s", describe(p.attr))
	}
	lx.paths = append(lx.paths, p.attr)
	end := 1
	if open := toks[1]; open.kind == kLBrack {
		s := &scanner{lx: lx, toks: toks, i: 2}
		vf, _, err := s.bracket(open)
		if err != nil {
			return p, err
		}
		lx.vfs = append(lx.vfs, vf)
		p.vf, end = len(lx.vfs)-1, s.i
		if t := toks[end]; t.kind == kWord && strings.HasPrefix(t.text, ".") {
			if len(t.text) == 1 || strings.ContainsAny(t.text[1:], ".:") {
				return p, fail("invalid sub-attribute %q after \"]\" at position %d", t.text, t.pos+1)
			}
			p.sub = t.text[1:]
			end++
		}
	}
	if t := toks[end]; t.kind != kEnd {
		return p, fail("unexpected %s at position %d", describe(t), t.pos+1)
	}
	return p, nil
}
