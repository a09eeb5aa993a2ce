package filter

import (
	"testing"

	"github.com/hector-scim/hector-scim/translate/schema"
)

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`userName eq "ada@contoso.example"`, schema.User); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEntra parses Entra's non-RFC matching filter
// (entra-scim-client.md §1.5).
func BenchmarkParseEntra(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`emails[type eq "work"].value eq "ada@contoso.example"`, schema.User); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseRefCheck parses Entra's reference check (Q17).
func BenchmarkParseRefCheck(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(`id eq "54D382A4-2050-4C03-94D1-E769F1D15682" and manager eq "2819c223-7f76-453a-919d-413861904646"`, schema.User); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParsePath(b *testing.B) {
	for _, s := range []string{`name.givenName`, ent + `:employeeNumber`, `emails[type eq "work"].value`} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePath(s, schema.User); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkMatch(b *testing.B) {
	doc := decode(b, userJSON)
	for _, s := range []string{
		`userName eq "ADA@contoso.example"`,
		`emails[type eq "work"].value eq "ada@contoso.example"`,
		`id eq "42" and manager eq "7"`,
		`meta.lastModified gt "2026-01-01T00:00:00Z" and not (title co "engineer" or emails.value ew ".org")`,
	} {
		f, err := Parse(s, schema.User)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !f.Match(doc) {
					b.Fatal("no match")
				}
			}
		})
	}
}
