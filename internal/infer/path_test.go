package infer

import "testing"

func TestLastSegments(t *testing.T) {
	for _, tc := range []struct{ path, parent, last string }{
		{"", "", ""},
		{"/", "", ""},
		{"///", "", ""},
		{"/posts", "", "posts"},
		{"posts", "", "posts"},
		{"/posts/1", "posts", "1"},
		{"/api/posts/1/", "posts", "1"},
		{"//api//posts//1//", "posts", "1"},
		{"/wp-json/wp/v2/posts", "v2", "posts"},
		{"/files/report.v2.pdf", "files", "report.v2.pdf"},
	} {
		parent, last := lastSegments(tc.path)
		if parent != tc.parent || last != tc.last {
			t.Errorf("lastSegments(%q) = %q, %q; want %q, %q", tc.path, parent, last, tc.parent, tc.last)
		}
	}
}
