package main

import "github.com/spf13/cobra"

func genCmd() *cobra.Command { return &cobra.Command{Use: "gen", Hidden: true} }
