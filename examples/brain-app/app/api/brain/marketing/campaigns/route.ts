import { NextRequest, NextResponse } from "next/server"

const BRAIN_API_URL = process.env.BRAIN_API_URL || "http://localhost:8000"

export async function GET(request: NextRequest) {
  try {
    const searchParams = request.nextUrl.searchParams

    let url = `${BRAIN_API_URL}/api/marketing/campaigns/`
    const params = new URLSearchParams()

    if (searchParams.get("status")) params.set("status", searchParams.get("status")!)
    if (searchParams.get("channel")) params.set("channel", searchParams.get("channel")!)
    if (searchParams.get("ordering")) params.set("ordering", searchParams.get("ordering")!)

    url += `?${params.toString()}`

    const response = await fetch(url, {
      headers: { "Content-Type": "application/json" },
    })

    if (!response.ok) {
      return NextResponse.json(
        { error: "Failed to fetch campaigns" },
        { status: response.status }
      )
    }

    const data = await response.json()
    return NextResponse.json(data)
  } catch (error) {
    console.error("Error fetching campaigns:", error)
    return NextResponse.json(
      { error: "Failed to fetch campaigns" },
      { status: 500 }
    )
  }
}

export const POST = async (request: NextRequest) => {
  try {
    const body = await request.json()

    const response = await fetch(`${BRAIN_API_URL}/api/marketing/campaigns/`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
      },
      body: JSON.stringify(body),
    })

    if (!response.ok) {
      return NextResponse.json(
        { error: "Failed to create campaign" },
        { status: response.status }
      )
    }

    const data = await response.json()
    return NextResponse.json(data, { status: 201 })
  } catch (error) {
    console.error("Error creating campaign:", error)
    return NextResponse.json(
      { error: "Failed to create campaign" },
      { status: 500 }
    )
  }
}
