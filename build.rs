fn main() {
    // Only the addon needs N-API's link setup; the plain core builds without it.
    if std::env::var_os("CARGO_FEATURE_BINDING").is_some() {
        napi_build::setup();
    }
}
