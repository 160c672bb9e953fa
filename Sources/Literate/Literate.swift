import CCmark
/// The pipeline (placeholder).
public enum Literate {}
