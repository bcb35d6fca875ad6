package dev.ktriage.depot.eval;

import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * syzbot's title-based dedup (dashboard {@code reportCrash}, docs/syzkaller-report-parser.md 2.7): a
 * crash joins the bug whose merged titles contain its title, else a bug whose alt titles intersect
 * its {title} ∪ alts, else a new bug; the joined bug's title sets grow. Not thread-safe.
 */
final class TitleBaseline {
  private final List<Set<String>> merged = new ArrayList<>();
  private final List<Set<String>> alts = new ArrayList<>();
  private final Map<String, Integer> byTitle = new HashMap<>();

  /** The bug id a report joins. */
  int assign(Report r) {
    String title = r.title().title();
    Set<String> all = new LinkedHashSet<>(r.title().alternatives());
    all.add(title);
    Integer bug = byTitle.get(title);
    if (bug == null) {
      for (int b = 0; b < alts.size() && bug == null; b++) {
        for (String t : all) {
          if (alts.get(b).contains(t)) {
            bug = b;
            break;
          }
        }
      }
    }
    if (bug == null) {
      bug = merged.size();
      merged.add(new LinkedHashSet<>());
      alts.add(new LinkedHashSet<>());
    }
    merged.get(bug).add(title);
    alts.get(bug).addAll(all);
    byTitle.putIfAbsent(title, bug);
    return bug;
  }
}
