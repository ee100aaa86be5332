// Paths and files: home expansion, XDG locations, whole-file read, atomic write.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace besrig {

// "~/x" -> "$HOME/x"; anything else unchanged.
std::filesystem::path expand_home(std::string_view path);
std::filesystem::path xdg_data_home();    // $XDG_DATA_HOME or ~/.local/share
std::filesystem::path xdg_state_home();   // $XDG_STATE_HOME or ~/.local/state
std::filesystem::path xdg_config_home();  // $XDG_CONFIG_HOME or ~/.config

// Where besrig's own shipped files live (driver sources, patches, sim scripts):
// $BESRIG_DATA_DIR, else the source tree it was built from.
std::filesystem::path besrig_data_dir();
// A path from the config: "~" expanded; a relative path is taken from the
// current directory when it exists there, else from besrig_data_dir().
std::filesystem::path resolve_data_path(std::string_view path);

// Throws Error(Infra) naming the file.
std::string read_file(const std::filesystem::path& path);
// Writes via a temporary file and rename, so readers never see half a file.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

}  // namespace besrig
