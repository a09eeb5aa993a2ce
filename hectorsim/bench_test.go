package hectorsim

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchServer returns a server holding n users, optionally all in group 1.
func benchServer(b *testing.B, n int, group bool) *Server {
	b.Helper()
	s, err := New(Options{APIKey: testKey})
	if err != nil {
		b.Fatal(err)
	}
	now := s.now()
	ids := make([]int64, 0, n)
	for i := range n {
		name := fmt.Sprint("user", i)
		if _, e := s.store.createUser(userFields{Username: name, Email: name + "@x", Identifier: name, Status: "active", Role: "user"}, now); e != nil {
			b.Fatal(e.message)
		}
		ids = append(ids, int64(i+1))
	}
	if group {
		_, _ = s.store.createGroup("big", "", now)
		for i := 0; i < n; i += 100 {
			_ = s.store.addMembers(1, ids[i:min(i+100, n)], now)
		}
	}
	return s
}

// BenchmarkGetUser measures GET /users/{id} through ServeHTTP, and over a
// loopback HTTP server.
func BenchmarkGetUser(b *testing.B) {
	const n = 10_000
	s := benchServer(b, n, false)
	paths := make([]string, n)
	for i := range paths {
		paths[i] = fmt.Sprint("/users/", i+1)
	}
	b.Run("recorder", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			req, _ := http.NewRequest("GET", paths[i%n], nil)
			req.Header.Set("X-Api-Key", testKey)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("got %d, want 200", rec.Code)
			}
			i++
		}
	})
	b.Run("loopback", func(b *testing.B) {
		benchLoopback(b, s, func(i int) (string, string, string) { return "GET", paths[i%n], "" }, http.StatusOK)
	})
}

// BenchmarkCreateUser measures POST /users through ServeHTTP, and over a
// loopback HTTP server.
func BenchmarkCreateUser(b *testing.B) {
	b.Run("recorder", func(b *testing.B) {
		s := benchServer(b, 0, false)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			req, _ := http.NewRequest("POST", "/users", strings.NewReader(userBody(fmt.Sprint("r", i))))
			req.Header.Set("X-Api-Key", testKey)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusCreated {
				b.Fatalf("got %d, want 201", rec.Code)
			}
			i++
		}
	})
	b.Run("loopback", func(b *testing.B) {
		s := benchServer(b, 0, false)
		benchLoopback(b, s, func(i int) (string, string, string) {
			return "POST", "/users", userBody(fmt.Sprint("l", i))
		}, http.StatusCreated)
	})
}

// BenchmarkListMembers100k measures one page of a 100,000-member group.
func BenchmarkListMembers100k(b *testing.B) {
	s := benchServer(b, 100_000, true)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("GET", "/groups/1/members?page=500&per_page=100", nil)
		req.Header.Set("X-Api-Key", testKey)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d, want 200", rec.Code)
		}
	}
}

// benchLoopback sends req(i) to s over a real loopback server.
func benchLoopback(b *testing.B, s *Server, req func(int) (string, string, string), want int) {
	ts := httptest.NewServer(s)
	defer ts.Close()
	c := ts.Client()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		method, path, body := req(i)
		r, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		r.Header.Set("X-Api-Key", testKey)
		res, err := c.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != want {
			b.Fatalf("got %d, want %d", res.StatusCode, want)
		}
		i++
	}
}
