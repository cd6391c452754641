"""The `monev` command line: a face over the apps, like the views and the API.

Every subcommand is a Django management command under `management/commands/`; the
`monev import <kind>` subcommands live in `imports/`. Nothing in an app imports this
package (docs/ARCHITECTURE.md, "Layers").
"""
