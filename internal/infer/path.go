package infer

import "strings"

// lastSegments returns the last two non-empty segments of a request path: for
// /api/posts/42/ they are "posts" and "42".
func lastSegments(path string) (parent, last string) {
	rest, last := cutLastSegment(path)
	_, parent = cutLastSegment(rest)
	return parent, last
}

func cutLastSegment(path string) (rest, seg string) {
	path = strings.TrimRight(path, "/")
	i := strings.LastIndexByte(path, '/')
	return path[:max(i, 0)], path[i+1:]
}
