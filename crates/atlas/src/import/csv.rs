//! CSV importer: ACLED, UCDP GED, generic latitude/longitude. (Being written.)
