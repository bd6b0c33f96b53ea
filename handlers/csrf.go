package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// crossOriginProtection refuses state-changing requests that a browser
// sent from another site (Sec-Fetch-Site, or Origin against Host). Safe
// methods pass; so do non-browser clients, which carry no ambient cookies
// worth forging with.
func crossOriginProtection() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden,
					"This request came from another site, so Gloss refused it. If you clicked a button here, reload the page and try again.")
			}
			return next(c)
		}
	}
}
