// The store's schema and its migrations, applied in order by user_version.
#pragma once

namespace besrig {

class Db;

// The schema version this build writes.
int schema_version();
// Brings the file up to schema_version() inside one transaction per step;
// refuses a file written by a newer besrig.
void migrate(Db& db);

}  // namespace besrig
