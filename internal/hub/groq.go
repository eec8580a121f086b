package hub

import (
	"errors"

	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/groq"
	"github.com/caddy-cms-realtime/caddy-cms-realtime/internal/protocol"
)

// CompileGROQ is the default Compiler: the GROQ listen-query engine.
func CompileGROQ(query string, params map[string]any) (Filter, error) {
	f, err := groq.Compile(query, params)
	if err != nil {
		var gerr *groq.Error
		if errors.As(err, &gerr) {
			return nil, &protocol.Error{Code: protocol.CodeBadQuery, Message: gerr.Msg, Position: gerr.Pos}
		}
		return nil, &protocol.Error{Code: protocol.CodeBadQuery, Message: err.Error(), Position: -1}
	}
	return f, nil
}
