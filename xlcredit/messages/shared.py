"""Texts about workbooks on shared drives (issue 16, item 6)."""

TEXTS: dict[str, tuple[str, str]] = {
    "shared.changed": ("{book} was changed by another program or person while xlcredit was working "
                       "on it (size {old_size} -> {new_size} bytes); nothing was saved, so their "
                       "changes are safe. Open the file again and rerun.",
                       "{book} 在 xlcredit 处理期间已被其他程序或他人修改（大小 {old_size} -> {new_size} 字节）；"
                       "未保存任何内容，他人的修改不受影响。请重新打开文件后再运行。"),
    "shared.removed": ("{book} was removed or renamed by someone else while xlcredit was working "
                       "on it; nothing was saved.",
                       "{book} 在 xlcredit 处理期间已被他人删除或改名；未保存任何内容。"),
}
