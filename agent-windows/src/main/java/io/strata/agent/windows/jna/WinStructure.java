package io.strata.agent.windows.jna;

import com.sun.jna.Structure;

/**
 * A Win32 structure laid out as Windows lays it out (MSVC rules: natural alignment, up to 8 bytes)
 * whatever the host: the layout tests measure on Linux what Windows will see.
 */
public abstract class WinStructure extends Structure {
  protected WinStructure() {
    super(ALIGN_MSVC);
  }

  /** The byte offset of {@code field}, as Windows reads it. */
  public int offsetOf(String field) {
    return fieldOffset(field);
  }
}
