# Sum a column per key and print the keys in a fixed order.
{ total[$2] += $1; n[$2]++; all += $1 }
END {
    for (k in total) keys[++m] = k
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
        if (keys[j] < keys[i]) { t = keys[i]; keys[i] = keys[j]; keys[j] = t }
    for (i = 1; i <= m; i++) printf "%s %d %d %.2f\n", keys[i], n[keys[i]], total[keys[i]], total[keys[i]] / n[keys[i]]
    printf "all %d\n", all
}
